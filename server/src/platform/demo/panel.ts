import type { Queryable } from '../db/types.ts';

/**
 * The demo family doctor's team: the first active team (by id) of a community health centre in Huangpu
 * whose leader is an active family doctor. The `family_doctor` and `doctor_assistant` accounts are scoped to
 * it (users.ts); the world stages give it a realistic panel (demoPanelResidents).
 */
export const DEMO_TEAM_SQL = `
  select t.id::int as team_id, t.name as team_name, p.id::int as doctor_id, p.name as doctor_name,
         i.id::int as chc_id, i.name as chc_name, i.district_code, i.street_code
    from team t
    join practitioner p on p.id = t.leader_id and p.is_family_doctor and p.active
    join institution i on i.id = t.institution_id and i.kind = 'chc'
   where t.active
   order by (t.district_code = '310101') desc, t.id limit 1`;

export interface DemoTeam {
  team_id: number;
  team_name: string;
  doctor_id: number;
  doctor_name: string;
  chc_id: number;
  chc_name: string;
  district_code: string;
  street_code: string | null;
}

export async function demoTeam(db: Queryable): Promise<DemoTeam | null> {
  return (await db.query<DemoTeam>(DEMO_TEAM_SQL))[0] ?? null;
}

/** The 居委 the demo team serves (team_community), in code order. */
export async function demoTeamCommunities(db: Queryable, teamId: number): Promise<string[]> {
  const rows = await db.query<{ code: string }>('select community_code as code from team_community where team_id = $1 order by community_code collate "C"', [
    teamId,
  ]);
  return rows.map((r) => r.code);
}

/**
 * Residents the resident-index stage settles in the demo team’s 居委 (12% of the world, at most 1,000)
 * so the demo doctor has a panel of a few hundred signed residents to try every action on; the family-doctor
 * stage signs most of them with the team, in the demo doctor's name.
 */
export function demoPanelResidents(residents: number): number {
  return Math.min(1000, Math.floor(residents * 0.12));
}
