// Every simulator `npm run simulators` starts, in port order: the generic one first, then the named
// systems in the order of OUTSIDE_SYSTEMS (systems.ts), which is where their adapters look for them.
import { OUTSIDE_SYSTEMS } from '../systems.ts';
import type { SimulatorDef } from './simulator.ts';
import { auditWitnessSimulator } from './systems/audit-witness.ts';
import { birthOneThingSimulator } from './systems/birth-one-thing.ts';
import { communityCloudSimulator } from './systems/community-cloud.ts';
import { dataPlatformSimulator } from './systems/data-platform.ts';
import { fdQcPlatformSimulator } from './systems/fd-qc-platform.ts';
import { genericSimulator } from './systems/generic.ts';
import { healthCloudSimulator } from './systems/health-cloud.ts';
import { maternalChildSimulator } from './systems/maternal-child.ts';
import { nationalSubsidySimulator } from './systems/national-subsidy.ts';
import { oneNetSimulator } from './systems/one-net.ts';
import { smsGatewaySimulator } from './systems/sms-gateway.ts';

const named = new Map(
  [
    nationalSubsidySimulator,
    oneNetSimulator,
    birthOneThingSimulator,
    dataPlatformSimulator,
    maternalChildSimulator,
    communityCloudSimulator,
    smsGatewaySimulator,
    fdQcPlatformSimulator,
    healthCloudSimulator,
    auditWitnessSimulator,
  ].map((d) => [d.system, d]),
);

export const SIMULATORS: readonly SimulatorDef[] = [
  genericSimulator,
  ...OUTSIDE_SYSTEMS.map((s) => {
    const d = named.get(s.system);
    if (!d) throw new Error(`no simulator for outside system ${s.system}`);
    return d;
  }),
];
