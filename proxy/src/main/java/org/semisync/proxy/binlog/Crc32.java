package org.semisync.proxy.binlog;

import java.util.zip.CRC32;

/** The binlog_checksum=CRC32 trailer: zlib CRC32 of header and body, little-endian, in the last four bytes. */
final class Crc32 {
    private Crc32() {}

    /** Computes the checksum of {@code event[0 .. length-4)} and writes it into the last four bytes. */
    static void seal(final byte[] event) {
        final CRC32 crc = new CRC32();
        crc.update(event, 0, event.length - EventHeader.CHECKSUM_SIZE);
        EventHeader.writeU32(event, event.length - EventHeader.CHECKSUM_SIZE, crc.getValue());
    }

    /** Whether the last four bytes are the CRC32 of the rest. */
    static boolean verify(final byte[] event) {
        final CRC32 crc = new CRC32();
        crc.update(event, 0, event.length - EventHeader.CHECKSUM_SIZE);
        return crc.getValue() == EventHeader.readU32(event, event.length - EventHeader.CHECKSUM_SIZE);
    }
}
