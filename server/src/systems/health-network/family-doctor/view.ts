import type { ServiceContext } from '../../../platform/service-context.ts';
import { notFound } from '../../../platform/http/errors.ts';
import { defineRoute } from '../../../platform/http/route.ts';
import { IdParams } from '../../../platform/http/schema.ts';
import { getPerson } from '../../common/resident-index/service.ts';
import { contractById, eventsOfContract, loadPolicy } from './repository.ts';
import { remainingChances, ruleTexts } from './rules.ts';
import { history, Names, NOT_FOUND, today, toDto, toEventDto } from './shapes.ts';
import { ContractDetail } from './responses.ts';

/** One contract with its event history, the remaining chances and the rule text (the read is audited). */
export async function viewContract(ctx: ServiceContext, id: number): Promise<ContractDetail> {
  const on = today();
  const policy = await loadPolicy(ctx.tx);
  const c = await contractById(ctx.tx, id);
  if (!c) throw notFound(NOT_FOUND);
  const dto = await toDto(c, await getPerson(ctx, c.person_id), new Names(ctx), on, policy);
  const events = (await eventsOfContract(ctx.tx, id)).map(toEventDto);
  ctx.audit.read({ action: 'family-doctor.view', objectType: 'fd_contract', objectId: id, note: '查看签约详情' });
  return { ...dto, events, chances: remainingChances(history(c), on, policy), rules: ruleTexts(policy) };
}

export const viewRoute = defineRoute({
  method: 'GET',
  url: '/family-doctor/contracts/:id',
  summary: '签约详情（含变更记录）',
  auth: 'staff',
  permission: 'family-doctor.read',
  params: IdParams,
  response: { 200: ContractDetail },
  handler: (ctx, { params }) => viewContract(ctx, params.id),
});
