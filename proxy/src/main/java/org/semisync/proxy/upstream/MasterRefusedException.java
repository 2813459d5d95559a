package org.semisync.proxy.upstream;

/** The master refused the tail (its login, or a dump it cannot serve), or asked for what the tail cannot answer. Trying again will not help. */
public final class MasterRefusedException extends RuntimeException {
    public MasterRefusedException(final String message) {
        super(message);
    }

    public MasterRefusedException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
