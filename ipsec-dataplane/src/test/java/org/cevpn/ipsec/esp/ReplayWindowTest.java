package org.cevpn.ipsec.esp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
    private static final int OK = 0;
    private static final int REPLAYED = DropReason.REPLAYED.code();
    private static final int TOO_OLD = DropReason.TOO_OLD.code();

    @Test
    void inOrderThenDuplicates() {
        ReplayWindow w = new ReplayWindow(1024);
        for (long s = 1; s <= 5000; s++) {
            assertEquals(OK, w.update(s));
        }
        assertEquals(REPLAYED, w.update(5000));
        assertEquals(REPLAYED, w.update(4000));
        assertEquals(TOO_OLD, w.update(5000 - 1024));
        assertEquals(TOO_OLD, w.check(0));
    }

    @Test
    void outOfOrderInsideTheWindowIsAcceptedOnce() {
        ReplayWindow w = new ReplayWindow(1024);
        assertEquals(OK, w.update(2000));
        assertEquals(OK, w.update(977));      // exactly the oldest still inside: 2000 - 1023
        assertEquals(TOO_OLD, w.update(976));
        assertEquals(OK, w.update(1500));
        assertEquals(REPLAYED, w.update(1500));
        assertEquals(OK, w.update(1999));
    }

    @Test
    void bigJumpForgetsEverythingBehind() {
        ReplayWindow w = new ReplayWindow(128);
        assertEquals(OK, w.update(10));
        assertEquals(OK, w.update(1_000_000));
        assertEquals(TOO_OLD, w.update(10));
        // Slots the jump passed over were cleared: a number that maps to 10's old slot is new.
        assertEquals(OK, w.update(1_000_000 - 64));
    }

    /** Property: any arrival order, with duplicates, accepts each number exactly once while it is in the window. */
    @Test
    void randomReorderingAndDuplicationProperty() {
        Random r = new Random(42);
        for (int size : new int[] {64, 1024, 4096}) {
            ReplayWindow w = new ReplayWindow(size);
            long base = 1;
            java.util.Set<Long> accepted = new java.util.HashSet<>();
            for (int round = 0; round < 50; round++) {
                List<Long> batch = new ArrayList<>();
                int n = size / 2;
                for (long s = base; s < base + n; s++) {
                    batch.add(s);
                    if (r.nextInt(4) == 0) {
                        batch.add(s); // duplicate
                    }
                }
                Collections.shuffle(batch, r);
                for (long s : batch) {
                    int v = w.update(s);
                    if (accepted.contains(s)) {
                        assertEquals(REPLAYED, v, "duplicate " + s);
                    } else {
                        // The batch spans size/2 < window, so nothing in it falls out of the window.
                        assertEquals(OK, v, "first arrival of " + s);
                        accepted.add(s);
                    }
                }
                base += n;
            }
        }
    }

    @Test
    void esnInferenceAcrossTheTwoToThe32Boundary() {
        ReplayWindow w = new ReplayWindow(1024);
        long nearWrap = 0xFFFFFF00L;
        assertEquals(nearWrap, w.inferEsn((int) nearWrap));
        w.update(nearWrap);
        // Low half wrapped: the high half must become 1.
        assertEquals(0x1_0000_0005L, w.inferEsn(5));
        w.update(0x1_0000_0005L);
        // A late packet from before the wrap still maps to high half 0 (case B of RFC 4303 A.2).
        assertEquals(0xFFFFFF80L, w.inferEsn(0xFFFFFF80));
        assertEquals(OK, w.update(0xFFFFFF80L));
        assertEquals(REPLAYED, w.update(nearWrap));
        // Far in block 1: a low value just above bottom stays in block 1.
        w.update(0x1_8000_0000L);
        assertEquals(0x1_7FFF_FF00L, w.inferEsn(0x7FFFFF00));
        assertEquals(0x2_0000_0000L | 3, w.inferEsn(3));
    }

    @Test
    void sizeIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(100));
        assertThrows(IllegalArgumentException.class, () -> new ReplayWindow(0));
        assertEquals(1024, ReplayWindow.DEFAULT_SIZE);
    }
}
