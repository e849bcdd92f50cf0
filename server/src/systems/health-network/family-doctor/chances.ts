import type { ServiceContext } from '../../../platform/service-context.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { activeContractOfPerson, loadPolicy } from './repository.ts';
import { remainingChances, ruleTexts, statusColour } from './rules.ts';
import { history, personOr404, today } from './shapes.ts';
import { PersonChances } from './responses.ts';

/** What a resident may still do in the current change-sign year (shown before a change or termination). */
export async function personChances(ctx: ServiceContext, personId: number): Promise<PersonChances> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const person = await personOr404(ctx, personId);
  const c = await activeContractOfPerson(ctx.tx, person.id);
  const colour = c ? statusColour(c.cycle_end, on, policy) : null;
  return {
    personId: person.id,
    contractId: c?.id ?? null,
    colour,
    maySign: colour === null || colour === 'red',
    chances: c && colour !== 'red' ? remainingChances(history(c), on, policy) : null,
    rules: ruleTexts(policy),
  };
}

export const chancesRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/residents/:id/chances',
  summary: '居民剩余变更次数',
  description: '当前变更签约年的起止日期、跨社区更换家庭医生和更换上级医院的已用与剩余次数，以及规则说明。',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  response: { 200: PersonChances },
  handler: (ctx, { params }) => personChances(ctx, params.id),
});
