package org.semisync.proxy.binlog;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;

/** The library's v4 header plus the 19 bytes it was read from, so the event can be relayed unchanged. */
public final class RawEventHeader extends EventHeaderV4 {
    private final byte[] raw;

    RawEventHeader(final byte[] raw) {
        this.raw = raw;
    }

    /** The header bytes as the master sent them (callers must not modify). */
    public byte[] raw() {
        return raw;
    }

    /** The numeric type code, kept even where the library's enum says UNKNOWN. */
    public int typeCode() {
        return EventHeader.type(raw);
    }
}
