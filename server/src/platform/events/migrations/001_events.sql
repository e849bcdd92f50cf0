-- Which job runs when a module publishes an event (platform/events): rewritten from the module registry on
-- every start, so publishing is one statement inside the publisher's transaction and needs no registry.
create table event_subscription (
  event text not null,
  job text not null,
  module text not null,
  primary key (event, job)
);
