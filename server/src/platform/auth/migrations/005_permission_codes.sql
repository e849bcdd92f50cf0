-- Permission codes follow one pattern, <module>.<action> with the module's short name (docs/architecture.md,
-- "Permission codes"): cs.*, fp.*, fee_review.*, residents.*, users.manage, api-clients.manage and
-- partner.ping were renamed. Roles get their codes from the module list at start; the one place codes are
-- stored is a partner system's grant (api_client.permissions): renamed here, in order, unknown codes kept.
update api_client c
   set permissions = array(
         select coalesce(m.new_code, u.code)
           from unnest(c.permissions) with ordinality as u(code, n)
           left join (values
  ('cs.read', 'childcare-subsidy.read'),
  ('cs.screen', 'childcare-subsidy.screen'),
  ('cs.policy.manage', 'childcare-subsidy.policy.manage'),
  ('cs.apply.send', 'childcare-subsidy.apply.send'),
  ('cs.review', 'childcare-subsidy.review'),
  ('cs.sync.manage', 'childcare-subsidy.sync.manage'),
  ('cs.monitor.manage', 'childcare-subsidy.monitor.manage'),
  ('fp.mv.read', 'marriage-verification.read'),
  ('fp.mv.handle', 'marriage-verification.handle'),
  ('fp.mv.pull', 'marriage-verification.pull'),
  ('fp.hv.read', 'household-verification.read'),
  ('fp.hv.map', 'household-verification.map'),
  ('fp.hv.pull', 'household-verification.pull'),
  ('fp.birth-order.read', 'birth-verification.birth-order.read'),
  ('fp.birth-order.query', 'birth-verification.birth-order.query'),
  ('fp.bv.read', 'birth-verification.read'),
  ('fp.bv.verify', 'birth-verification.verify'),
  ('fp.bv.reverify', 'birth-verification.reverify'),
  ('fp.bv.intake', 'birth-verification.intake'),
  ('fp.bv.field-map', 'birth-verification.field-map'),
  ('fp.bv.cloud-feedback', 'birth-verification.cloud-feedback'),
  ('fp.base-codes.export', 'base-codes.export'),
  ('fee_review.read', 'fee-review.read'),
  ('fee_review.upload', 'fee-review.upload'),
  ('fee_review.review', 'fee-review.review'),
  ('fee_review.configure', 'fee-review.configure'),
  ('residents.read', 'resident-index.read'),
  ('residents.reveal', 'resident-index.reveal'),
  ('residents.write', 'resident-index.write'),
  ('users.manage', 'auth.users.manage'),
  ('api-clients.manage', 'auth.api-clients.manage'),
  ('partner.ping', 'system.partner.ping')
           ) as m(old_code, new_code) on m.old_code = u.code
          order by u.n)
 where c.permissions && array['cs.read', 'cs.screen', 'cs.policy.manage', 'cs.apply.send', 'cs.review', 'cs.sync.manage', 'cs.monitor.manage', 'fp.mv.read', 'fp.mv.handle', 'fp.mv.pull', 'fp.hv.read', 'fp.hv.map', 'fp.hv.pull', 'fp.birth-order.read', 'fp.birth-order.query', 'fp.bv.read', 'fp.bv.verify', 'fp.bv.reverify', 'fp.bv.intake', 'fp.bv.field-map', 'fp.bv.cloud-feedback', 'fp.base-codes.export', 'fee_review.read', 'fee_review.upload', 'fee_review.review', 'fee_review.configure', 'residents.read', 'residents.reveal', 'residents.write', 'users.manage', 'api-clients.manage', 'partner.ping']::text[];
