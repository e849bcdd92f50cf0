/** The data-quality API's shapes come from the server's declarations. */
import type { Anomaly, AnomalyDetail, CheckRun, Counts, DqRule, Summary } from '@server/systems/hospital-monitoring/data-quality/responses.ts';

export type { Anomaly, AnomalyDetail, CheckRun, Counts, DqRule, Summary };
