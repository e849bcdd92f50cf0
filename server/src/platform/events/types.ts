/** An event a module announces (`publishes`), e.g. `resident.death-recorded`. */
export interface EventDef {
  /** `<area>.<what-happened>`, kebab-case. */
  name: string;
  title: string;
}

/** A module's answer to another module's event: queue one of its own jobs when the event is published. */
export interface Subscription {
  event: string;
  /** One of the subscribing module's own job names. */
  job: string;
}
