/**
 * Differential parity suite: the proxy against MariaDB 11.4.5's own semi-sync master.
 *
 * <p>{@link org.semisync.proxy.parity.ParityIT} runs every scenario of
 * {@link org.semisync.proxy.parity.ParityScenarios} twice with the same settings and steps, first against side A
 * ({@link org.semisync.proxy.parity.NativeEndpoint}: an 11.4.5 master with {@code rpl_semi_sync_master_enabled=ON},
 * two 11.4.5 semi-sync replicas replicating directly from it), then against side B
 * ({@link org.semisync.proxy.parity.ProxyEndpoint}: an 11.4.5 master with the plugin off, the in-process proxy in
 * front, two 11.4.5 semi-sync replicas replicating through the proxy, GTID mode). Clients and admin statements go to
 * the endpoint (A: the master's port, B: the proxy's), so the same statement reads the plugin's rows in A and the
 * proxy's in B. Each run starts from the same baseline ({@link org.semisync.proxy.parity.ScenarioRun#baseline}) and
 * records named observations (duration classes, status, counter deltas, result rows, error codes) in order; the two
 * records must be equal. The proxy's documented extra rows ({@code rpl_semi_sync_master_enforced},
 * {@code rpl_semi_sync_master_wait_for_slave_count}, {@code Rpl_semi_sync_master_position_probes}) are dropped
 * from its answers before comparing; nothing else is.
 *
 * <pre>
 * mvn -B -pl proxy -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfailsafe.failIfNoSpecifiedTests=false -Dit.test=ParityIT verify
 * </pre>
 *
 * <p>Reports: {@code proxy/target/parity/<scenario>.txt} (both records, the milliseconds behind the duration
 * classes as notes, the diff) and {@code proxy/target/parity/parity-table.md}. With {@code -Dparity.proxy=relay}
 * side B is a plain relay without a tracker (the control: every scenario must fail), reports under
 * {@code proxy/target/parity-relay/}.
 */
package org.semisync.proxy.parity;
