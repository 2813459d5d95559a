package org.semisync.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void parsesHostPortIpv6AndDefaults() {
        assertThat(HostPort.parse("db.example:3306", 1)).isEqualTo(new HostPort("db.example", 3306));
        assertThat(HostPort.parse("[::1]:3307", 1)).isEqualTo(new HostPort("::1", 3307));
        assertThat(HostPort.parse("127.0.0.1", 3306)).isEqualTo(new HostPort("127.0.0.1", 3306));
        assertThat(HostPort.parse("[::1]:3307", 1).toString()).isEqualTo("[::1]:3307");
    }

    @Test
    void rejectsBadInputWithTheValueInTheMessage() {
        assertThatThrownBy(() -> HostPort.parse("db:abc", 1)).hasMessageContaining("'abc'");
        assertThatThrownBy(() -> HostPort.parse("db:70000", 1)).hasMessageContaining("70000");
        assertThatThrownBy(() -> HostPort.parse("", 1)).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("[::1", 1)).hasMessageContaining("[IPv6]");
    }
}
