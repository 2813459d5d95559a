package org.semisync.proxy.binlog;

import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Reads the 19-byte header itself and keeps the bytes: the library's own header deserializer discards them and maps
 * unknown type codes to {@link EventType#UNKNOWN}, which would lose the event's identity.
 */
public final class RawEventHeaderDeserializer implements EventHeaderDeserializer<RawEventHeader> {
    @Override
    public RawEventHeader deserialize(final ByteArrayInputStream in) throws IOException {
        final byte[] raw = in.read(EventHeader.SIZE);
        final RawEventHeader header = new RawEventHeader(raw);
        header.setTimestamp(EventHeader.readU32(raw, EventHeader.TIMESTAMP_OFFSET) * 1000L);
        final EventType type = EventType.byEventNumber(EventHeader.type(raw));
        header.setEventType(type == null ? EventType.UNKNOWN : type);
        header.setServerId(EventHeader.serverId(raw));
        header.setEventLength(EventHeader.eventSize(raw));
        header.setNextPosition(EventHeader.logPos(raw));
        header.setFlags((raw[EventHeader.FLAGS_OFFSET] & 0xFF) | (raw[EventHeader.FLAGS_OFFSET + 1] & 0xFF) << 8);
        return header;
    }
}
