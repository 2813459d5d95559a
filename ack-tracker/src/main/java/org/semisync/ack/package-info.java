/**
 * The semi-sync decision core: binlog positions, GTIDs, commit waiters, per-replica ACK watermarks, the quorum and
 * the plugin's ON/OFF/timeout state machine. No Netty, no JDBC.
 */
package org.semisync.ack;
