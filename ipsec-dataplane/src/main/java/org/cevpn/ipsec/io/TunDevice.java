package org.cevpn.ipsec.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device through the Foreign Function &amp; Memory API: open {@code /dev/net/tun},
 * {@code TUNSETIFF} with {@code IFF_TUN | IFF_NO_PI}, then read and write raw IP packets.
 *
 * <p>The descriptor is non-blocking. {@link #receive} waits in {@code poll(2)} (an ordinary downcall,
 * so the GC runs freely), then drains every ready packet with {@code read(2)} as a <i>critical</i>
 * downcall that reads straight into the batch's heap arrays: no copy, no allocation, and a syscall
 * per packet only while packets are actually there. Writes are critical downcalls from heap arrays
 * too; neither can block, which is what makes the critical mode safe here.
 *
 * <p>With offloads ({@link #open(String, boolean)}), the device is opened with {@code IFF_VNET_HDR} and
 * {@code TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6)}: the kernel hands us TCP super-packets
 * (up to the device's gso_max_size) with partial checksums, which we complete so that what ESP carries
 * is an ordinary, valid IP packet; and when we write a TCP packet larger than the MTU we describe it
 * as GSO (segment size from the MTU), so the kernel segments it instead of us. One ESP packet then
 * carries what would otherwise be dozens, which is what lifts the per-packet cost off the Java side.
 */
public final class TunDevice implements PacketPort {
    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    private static final int F_SETFL = 4;
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    private static final long TUN_F_CSUM = 0x01;
    private static final long TUN_F_TSO4 = 0x02;
    private static final long TUN_F_TSO6 = 0x04;
    private static final int VNET_HDR = VirtioNetHeader.LENGTH;
    private static final short POLLIN = 0x0001;
    private static final int IFNAMSIZ = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout ERRNO_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = ERRNO_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle IOCTL_VALUE = downcall("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle FCNTL = downcall("fcntl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(2), Linker.Option.captureCallState("errno"));
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.critical(true));
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.critical(true));
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    @SuppressWarnings("restricted") // native access is this class's job; the launcher enables it
    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd, options);
    }

    private final String name;
    private final int fd;
    private final boolean offload;
    private final int mtu;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment pollfd;
    /** Heap segments over the batch buffers, made once per batch (a segment is a view, reusable). */
    private PacketBatch segmentsFor;
    private MemorySegment[] segments;
    private volatile boolean closed;
    /** Guarded by this: a reader is inside {@link #receive}; it then closes the descriptor itself. */
    private boolean readerActive;
    private boolean fdClosed;
    /** The last array written from and its segment: the data plane writes from one buffer per thread. */
    private volatile WriteSource lastWrite;
    private final TcpSegmenter segmenter = new TcpSegmenter(HEADROOM, 65536);
    private final TcpSegmenter.Sink writer = this::write;

    private record WriteSource(byte[] array, int offset, MemorySegment segment) {}

    private TunDevice(String name, int fd, boolean offload, int mtu) {
        this.name = name;
        this.fd = fd;
        this.offload = offload;
        this.mtu = mtu;
        this.pollfd = arena.allocate(8, 4);
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
    }

    /**
     * Opens (creating if needed) the TUN interface {@code name}. The interface's addresses, MTU and
     * routes are configured outside (ip(8)); needs CAP_NET_ADMIN.
     */
    public static TunDevice open(String name) throws IOException {
        return open(name, false);
    }

    /** Opens {@code name}, with TSO/checksum offloads when {@code offload} (see the class comment). */
    public static TunDevice open(String name, boolean offload) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1-15 ASCII characters: " + name);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = a.allocate(ERRNO_STATE);
            int fd = (int) OPEN.invokeExact(errno, a.allocateFrom("/dev/net/tun"), O_RDWR);
            if (fd < 0) {
                throw new IOException("open /dev/net/tun: errno " + errnoOf(errno) + hint(errnoOf(errno)));
            }
            MemorySegment ifreq = a.allocate(40);
            MemorySegment.copy(nameBytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, nameBytes.length);
            ifreq.set(ValueLayout.JAVA_SHORT_UNALIGNED, IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0)));
            int rc = (int) IOCTL.invokeExact(errno, fd, TUNSETIFF, ifreq);
            if (rc < 0) {
                int e = errnoOf(errno);
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("TUNSETIFF " + name + ": errno " + e + hint(e));
            }
            if (offload) {
                rc = (int) IOCTL_VALUE.invokeExact(errno, fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6);
                if (rc < 0) {
                    int e = errnoOf(errno);
                    int ignored = (int) CLOSE.invokeExact(fd);
                    throw new IOException("TUNSETOFFLOAD " + name + ": errno " + e);
                }
            }
            rc = (int) FCNTL.invokeExact(errno, fd, F_SETFL, O_RDWR | O_NONBLOCK);
            if (rc < 0) {
                int e = errnoOf(errno);
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("fcntl O_NONBLOCK: errno " + e);
            }
            int mtu = 1500;
            try {
                mtu = Integer.parseInt(java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net", name, "mtu")).strip());
            } catch (IOException | NumberFormatException e) {
                // keep 1500: only used to size GSO segments
            }
            return new TunDevice(name, fd, offload, mtu);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("TUN downcall failed", t);
        }
    }

    private static int errnoOf(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static String hint(int errno) {
        return switch (errno) {
            case 1 -> " (EPERM: needs root / CAP_NET_ADMIN)";
            case 2 -> " (ENOENT: no /dev/net/tun; load the tun module)";
            case 16 -> " (EBUSY: the interface is attached to another process)";
            default -> "";
        };
    }

    @Override
    public int receive(PacketBatch batch) throws IOException {
        if (segmentsFor != batch) {
            segments = new MemorySegment[batch.capacity()];
            for (int i = 0; i < segments.length; i++) {
                // The packet lands at HEADROOM; with offloads the virtio-net header sits just before it.
                segments[i] = MemorySegment.ofArray(batch.buffer(i)).asSlice(HEADROOM - (offload ? VNET_HDR : 0));
            }
            segmentsFor = batch;
        }
        synchronized (this) {
            if (closed) {
                return -1;
            }
            readerActive = true;
        }
        try {
            return drainOrWait(batch);
        } finally {
            synchronized (this) {
                readerActive = false;
                if (closed) {
                    closeFd();
                }
            }
        }
    }

    private int drainOrWait(PacketBatch batch) throws IOException {
        try {
            while (true) {
                if (closed) {
                    return -1;
                }
                int n = 0;
                while (n < batch.capacity()) {
                    long r = (long) READ.invokeExact(fd, segments[n], (long) batch.maxPacket() + (offload ? VNET_HDR : 0));
                    if (r <= 0) {
                        break; // EAGAIN: drained (a real error shows up as POLLERR/POLLNVAL below)
                    }
                    int len = (int) r;
                    int gso = 0;
                    if (offload) {
                        len -= VNET_HDR;
                        if (len <= 0) {
                            continue;
                        }
                        byte[] b = batch.buffer(n);
                        VirtioNetHeader.completeChecksum(b, HEADROOM - VNET_HDR, HEADROOM, len);
                        if (b[HEADROOM - VNET_HDR + 1] != 0) {
                            gso = VirtioNetHeader.le16(b, HEADROOM - VNET_HDR + 4);
                        }
                    }
                    batch.setGsoSize(n, gso);
                    batch.setOffset(n, HEADROOM);
                    batch.setLength(n, len);
                    n++;
                }
                if (n > 0) {
                    batch.setCount(n);
                    return n;
                }
                pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                int p = (int) POLL.invokeExact(pollfd, 1L, 200);
                short revents = pollfd.get(ValueLayout.JAVA_SHORT, 6);
                if (p > 0 && (revents & ~POLLIN) != 0 && (revents & POLLIN) == 0) {
                    if (closed) {
                        return -1;
                    }
                    throw new IOException(name + ": poll revents 0x" + Integer.toHexString(revents));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("TUN read downcall failed", t);
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (!offload && len > mtu && TcpSegmenter.headerLength(buf, off, len) > 0) {
            // A super-packet from a peer that sends them, and no offload here: segment it ourselves.
            synchronized (segmenter) {
                int mss = mtu - TcpSegmenter.headerLength(buf, off, len);
                if (mss > 0 && segmenter.segment(buf, off, len, mss, writer) > 0) {
                    return;
                }
            }
        }
        if (offload) {
            if (off < VNET_HDR) {
                throw new IllegalArgumentException("send needs " + VNET_HDR + " bytes of headroom");
            }
            VirtioNetHeader.writeForDelivery(buf, off, len, mtu);
            off -= VNET_HDR;
            len += VNET_HDR;
        }
        write(buf, off, len);
    }

    private void write(byte[] buf, int off, int len) throws IOException {
        if (closed) {
            throw new IOException(name + " is closed");
        }
        // Senders write from one buffer at one offset per thread: keep that segment rather than make one per packet.
        MemorySegment seg;
        WriteSource last = lastWrite;
        if (last != null && last.array() == buf && last.offset() == off) {
            seg = last.segment();
        } else {
            seg = MemorySegment.ofArray(buf).asSlice(off);
            lastWrite = new WriteSource(buf, off, seg);
        }
        long w;
        try {
            w = (long) WRITE.invokeExact(fd, seg, (long) len);
        } catch (Throwable t) {
            throw new IOException("TUN write downcall failed", t);
        }
        if (w != len) {
            throw new IOException(name + ": write returned " + w + " for " + len + " bytes");
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Stops a concurrent {@link #receive} (within its 200 ms poll) and releases the descriptor. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!readerActive) {
            closeFd(); // else the reader closes it on its way out, so it never reads a recycled descriptor
        }
    }

    private void closeFd() {
        if (fdClosed) {
            return;
        }
        fdClosed = true;
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // Nothing more to do for a descriptor we are abandoning.
        }
        arena.close();
    }
}
