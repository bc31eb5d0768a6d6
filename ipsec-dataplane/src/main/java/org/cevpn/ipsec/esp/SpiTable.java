package org.cevpn.ipsec.esp;

/**
 * Immutable open-addressing map from SPI to inbound SA. The SAD swaps in a new table on every
 * install/remove (rare), so the per-packet lookup is a lock-free read with no boxing.
 */
final class SpiTable {
    static final SpiTable EMPTY = new SpiTable(new int[8], new InboundSa[8]);

    private final int[] keys;
    private final InboundSa[] values;
    private final int mask;

    private SpiTable(int[] keys, InboundSa[] values) {
        this.keys = keys;
        this.values = values;
        this.mask = keys.length - 1;
    }

    private static int slot(int spi, int mask) {
        return (spi * 0x9E3779B9 >>> 7) & mask;
    }

    InboundSa get(int spi) {
        for (int i = slot(spi, mask); ; i = (i + 1) & mask) {
            InboundSa v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == spi) {
                return v;
            }
        }
    }

    java.util.List<InboundSa> list() {
        java.util.List<InboundSa> l = new java.util.ArrayList<>();
        for (InboundSa v : values) {
            if (v != null) {
                l.add(v);
            }
        }
        return l;
    }

    int size() {
        int n = 0;
        for (InboundSa v : values) {
            if (v != null) {
                n++;
            }
        }
        return n;
    }

    /** A copy with {@code sa} added (or replacing the same SPI). */
    SpiTable with(InboundSa sa) {
        return rebuild(sa, 0, false);
    }

    /** A copy without {@code spi}. */
    SpiTable without(int spi) {
        return rebuild(null, spi, true);
    }

    private SpiTable rebuild(InboundSa add, int removeSpi, boolean remove) {
        int n = size() + 1;
        int cap = 8;
        while (cap < n * 2) {
            cap <<= 1;
        }
        int[] k = new int[cap];
        InboundSa[] v = new InboundSa[cap];
        for (InboundSa old : values) {
            if (old == null || (remove && old.spi() == removeSpi) || (add != null && old.spi() == add.spi())) {
                continue;
            }
            put(k, v, old);
        }
        if (add != null) {
            put(k, v, add);
        }
        return new SpiTable(k, v);
    }

    private static void put(int[] k, InboundSa[] v, InboundSa sa) {
        int m = k.length - 1;
        int i = slot(sa.spi(), m);
        while (v[i] != null) {
            i = (i + 1) & m;
        }
        k[i] = sa.spi();
        v[i] = sa;
    }
}
