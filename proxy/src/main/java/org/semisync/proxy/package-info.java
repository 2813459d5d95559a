/** The MySQL-protocol proxy that enforces semi-synchronous replication in front of an unmodified master. */
package org.semisync.proxy;
