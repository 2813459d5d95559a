package org.semisync.proxy.parity;

/**
 * One parity scenario: the same steps, run against each endpoint from its baseline.
 *
 * @param name file-safe name (the report's file and the JUnit display name)
 * @param what one line: what it checks
 * @param body the steps
 */
record Scenario(String name, String what, Body body) {
    /** The steps of a scenario, recording observations into the run. */
    @FunctionalInterface
    interface Body {
        void run(ScenarioRun r) throws Exception;
    }

    @Override
    public String toString() {
        return name;
    }
}
