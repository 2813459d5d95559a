package org.semisync.proxy.binlog;

import com.github.shyiko.mysql.binlog.event.ByteArrayEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.deserialization.ByteArrayEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TransactionPayloadEventDataDeserializer;
import java.util.HashMap;
import java.util.Map;

/**
 * Configures the library to hand over every event body as bytes, and rebuilds the whole event (header, body, checksum)
 * from what it delivers.
 */
public final class RawEventDeserializers {
    private RawEventDeserializers() {}

    /**
     * An event deserializer keeping raw bytes. TRANSACTION_PAYLOAD keeps its own deserializer because the library casts
     * its result; its bytes are still recovered through the wrapper.
     */
    public static EventDeserializer create() {
        final Map<EventType, EventDataDeserializer> map = new HashMap<>();
        map.put(EventType.TRANSACTION_PAYLOAD, new TransactionPayloadEventDataDeserializer());
        return new EventDeserializer(
                new RawEventHeaderDeserializer(), new ByteArrayEventDataDeserializer(), map, new HashMap<>());
    }

    /**
     * The event's bytes as the master sent them. The library skips the 4-byte CRC32 trailer of every event but the
     * Format_description (whose body it hands over with the trailer), so the trailer is recomputed over the exact bytes;
     * the rebuilt length is checked against the header's event_size.
     *
     * @throws BinlogCaptureException if the library did not hand over the body as bytes or the length disagrees
     */
    public static byte[] rebuild(final Event event, final boolean crc32) {
        final byte[] bytes = rebuildUnchecked(event, crc32);
        if (bytes.length != EventHeader.eventSize(bytes)) {
            throw new BinlogCaptureException("rebuilt event of type " + EventHeader.type(bytes) + " has " + bytes.length
                    + " bytes but its header says " + EventHeader.eventSize(bytes) + " (checksum setting wrong?)");
        }
        return bytes;
    }

    /** As {@link #rebuild} without the length check. */
    static byte[] rebuildUnchecked(final Event event, final boolean crc32) {
        if (!(event.getHeader() instanceof RawEventHeader header)) {
            throw new BinlogCaptureException(
                    "event header was not read by RawEventHeaderDeserializer: " + event.getHeader());
        }
        final byte[] body = bodyBytes(event.getData(), header);
        final boolean trailerInBody = header.typeCode() == EventHeader.FORMAT_DESCRIPTION_EVENT;
        final int trailer = crc32 && !trailerInBody ? EventHeader.CHECKSUM_SIZE : 0;
        final byte[] bytes = new byte[EventHeader.SIZE + body.length + trailer];
        System.arraycopy(header.raw(), 0, bytes, 0, EventHeader.SIZE);
        System.arraycopy(body, 0, bytes, EventHeader.SIZE, body.length);
        if (trailer > 0) {
            Crc32.seal(bytes);
        }
        return bytes;
    }

    private static byte[] bodyBytes(final EventData data, final RawEventHeader header) {
        EventData external = data;
        if (external instanceof EventDeserializer.EventDataWrapper wrapper) {
            external = wrapper.getExternal();
        }
        if (external instanceof ByteArrayEventData bytes) {
            return bytes.getData();
        }
        if (external == null && header.getDataLength() == 0) {
            return new byte[0];
        }
        throw new BinlogCaptureException("event of type " + header.typeCode() + " was not captured as bytes but as "
                + (external == null ? "null" : external.getClass().getName()));
    }
}
