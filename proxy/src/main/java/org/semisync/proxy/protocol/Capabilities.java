package org.semisync.proxy.protocol;

/**
 * Capability flags exchanged in the handshake (lower 32 bits), and MariaDB's extended capabilities (sent in the
 * otherwise unused filler of the handshake when {@link #CLIENT_MYSQL} is clear).
 */
public final class Capabilities {
    /** Set by MySQL clients; a MariaDB server offering it clear announces extended capabilities. */
    public static final long CLIENT_MYSQL = 1L;

    public static final long CLIENT_LONG_PASSWORD = 1L;
    public static final long CLIENT_FOUND_ROWS = 1L << 1;
    public static final long CLIENT_LONG_FLAG = 1L << 2;
    public static final long CLIENT_CONNECT_WITH_DB = 1L << 3;
    public static final long CLIENT_NO_SCHEMA = 1L << 4;
    public static final long CLIENT_COMPRESS = 1L << 5;
    public static final long CLIENT_ODBC = 1L << 6;
    public static final long CLIENT_LOCAL_FILES = 1L << 7;
    public static final long CLIENT_IGNORE_SPACE = 1L << 8;
    public static final long CLIENT_PROTOCOL_41 = 1L << 9;
    public static final long CLIENT_INTERACTIVE = 1L << 10;
    public static final long CLIENT_SSL = 1L << 11;
    public static final long CLIENT_IGNORE_SIGPIPE = 1L << 12;
    public static final long CLIENT_TRANSACTIONS = 1L << 13;
    public static final long CLIENT_RESERVED = 1L << 14;
    public static final long CLIENT_SECURE_CONNECTION = 1L << 15;
    public static final long CLIENT_MULTI_STATEMENTS = 1L << 16;
    public static final long CLIENT_MULTI_RESULTS = 1L << 17;
    public static final long CLIENT_PS_MULTI_RESULTS = 1L << 18;
    public static final long CLIENT_PLUGIN_AUTH = 1L << 19;
    public static final long CLIENT_CONNECT_ATTRS = 1L << 20;
    public static final long CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1L << 21;
    public static final long CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS = 1L << 22;
    public static final long CLIENT_SESSION_TRACK = 1L << 23;
    public static final long CLIENT_DEPRECATE_EOF = 1L << 24;
    public static final long CLIENT_OPTIONAL_RESULTSET_METADATA = 1L << 25;
    public static final long CLIENT_ZSTD_COMPRESSION_ALGORITHM = 1L << 26;
    public static final long CLIENT_QUERY_ATTRIBUTES = 1L << 27;
    public static final long CLIENT_MULTI_FACTOR_AUTHENTICATION = 1L << 28;
    public static final long CLIENT_SSL_VERIFY_SERVER_CERT = 1L << 30;

    /** MariaDB extended capability (bit 32 + n of the combined 64-bit set): progress reports. */
    public static final long MARIADB_CLIENT_PROGRESS = 1L << 32;
    /** MariaDB extended capability: COM_STMT_BULK_EXECUTE. */
    public static final long MARIADB_CLIENT_STMT_BULK_OPERATIONS = 1L << 34;
    /** MariaDB extended capability: extended column type information. */
    public static final long MARIADB_CLIENT_EXTENDED_TYPE_INFO = 1L << 35;
    /** MariaDB extended capability: skip resending result set metadata for prepared statements. */
    public static final long MARIADB_CLIENT_CACHE_METADATA = 1L << 36;

    /** Capabilities that change how bytes are framed; the proxy cannot carry them through unchanged. */
    public static final long FRAMING_CHANGING = CLIENT_COMPRESS | CLIENT_ZSTD_COMPRESSION_ALGORITHM;

    private Capabilities() {}

    /** Whether {@code flag} is set in {@code capabilities}. */
    public static boolean has(final long capabilities, final long flag) {
        return (capabilities & flag) != 0;
    }
}
