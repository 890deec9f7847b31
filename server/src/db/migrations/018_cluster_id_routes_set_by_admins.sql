-- Cluster IDs an admin routed from the "needs action" inbox: one that matches nothing in Autotask,
-- or several installed products. The engine honours such a route before asking Autotask.
CREATE TABLE cluster_route_overrides (
  zendesk_account_id    bigint NOT NULL REFERENCES zendesk_accounts (id) ON DELETE CASCADE,
  -- Normalised like cluster_routes.cluster_id (trimmed, lower-cased).
  cluster_id            text NOT NULL,
  connection_id         bigint NOT NULL REFERENCES autotask_connections (id) ON DELETE CASCADE,
  -- Null: the tickets go to the Autotask account without an installed product.
  installed_product_id  bigint,
  autotask_account_id   bigint NOT NULL,
  created_by            bigint REFERENCES admin_users (id) ON DELETE SET NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zendesk_account_id, cluster_id)
);

-- Ambiguous Cluster IDs now wait in the "needs action" inbox (grouped per Cluster ID), not as one
-- retried problem per ticket in the error inbox.
UPDATE sync_problems SET state = 'resolved', next_retry_at = NULL, last_seen_at = now()
 WHERE code = 'ambiguous_cluster_id' AND state IN ('open', 'retrying');
