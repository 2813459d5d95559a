package org.semisync.proxy.logging;

/** What to say about a failure in one line: the message of its innermost cause. */
public final class Causes {
    private Causes() {}

    /** The innermost cause's message, or its class's simple name when it has none. */
    public static String rootMessage(final Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
