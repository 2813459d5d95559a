-- 11.4 replicas default to MASTER_SSL=1 with certificate verification; the proxy in this compose file has a
-- self-signed certificate, so TLS is switched off for the replication link.
CHANGE MASTER TO MASTER_HOST='proxy', MASTER_PORT=3307, MASTER_USER='repl', MASTER_PASSWORD='repl_pass',
  MASTER_USE_GTID=slave_pos, MASTER_SSL=0, MASTER_CONNECT_RETRY=1;
START SLAVE;
