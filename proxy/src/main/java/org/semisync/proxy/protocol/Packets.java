package org.semisync.proxy.protocol;

/** Constants of the MySQL client/server packet layer: header layout, packet markers and size limits. */
public final class Packets {
    /** Bytes of the packet header: 3-byte little-endian payload length and a 1-byte sequence id. */
    public static final int HEADER_SIZE = 4;

    /**
     * Largest payload of one wire packet. A payload of exactly this length means the logical packet continues in the
     * next wire packet (which may be empty).
     */
    public static final int MAX_PAYLOAD = 0xFF_FFFF;

    /** First byte of an OK packet. */
    public static final int OK = 0x00;

    /** First byte of an ERR packet. */
    public static final int ERR = 0xFF;

    /** First byte of an EOF packet (or of an OK packet sent in its place under CLIENT_DEPRECATE_EOF). */
    public static final int EOF = 0xFE;

    /** First byte of the server's request for a local file during LOAD DATA LOCAL INFILE. */
    public static final int LOCAL_INFILE = 0xFB;

    /** First byte of an authentication switch request (same value as EOF, told apart by the auth phase). */
    public static final int AUTH_SWITCH_REQUEST = 0xFE;

    /** First byte of extra authentication data (caching_sha2_password fast/full auth, ed25519, ...). */
    public static final int AUTH_MORE_DATA = 0x01;

    /** An EOF packet is shorter than this; a 0xFE packet this long or longer is an OK or a row. */
    public static final int EOF_MAX_LENGTH = 9;

    private Packets() {}
}
