package org.semisync.proxy.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
    private static final String PROPERTY = "semisync.eventLoops";

    @AfterEach
    void clearProperty() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void oneLoopPerCoreByDefault() {
        System.clearProperty(PROPERTY);
        try (EventLoops loops = EventLoops.create()) {
            assertThat(loops.size()).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void theUsersCountWins() {
        System.setProperty(PROPERTY, "3");
        try (EventLoops loops = EventLoops.create()) {
            assertThat(loops.size()).isEqualTo(3);
        }
    }
}
