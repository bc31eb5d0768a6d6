package org.cevpn.netconf.datastore;

import java.util.List;
import org.cevpn.netconf.ErrorTag;
import org.cevpn.netconf.RpcError;

/** An operation refused with one or more rpc-errors; the datastores are as they were before it. */
public final class RpcException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<RpcError> errors;

    public RpcException(final List<RpcError> errors) {
        super(errors.isEmpty() ? "no errors" : errors.get(0).toString());
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("an RpcException needs at least one rpc-error");
        }
        this.errors = List.copyOf(errors);
    }

    public RpcException(final RpcError error) {
        this(List.of(error));
    }

    /** A protocol-layer error with no data node at fault. */
    public static RpcException protocol(final ErrorTag tag, final String message) {
        return new RpcException(RpcError.protocol(tag, message));
    }

    /** An application-layer error with no data node at fault. */
    public static RpcException application(final ErrorTag tag, final String message) {
        return new RpcException(RpcError.application(tag, null, null, message));
    }

    public List<RpcError> errors() {
        return errors;
    }
}
