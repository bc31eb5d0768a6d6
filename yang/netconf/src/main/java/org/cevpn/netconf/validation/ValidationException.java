package org.cevpn.netconf.validation;

import java.util.List;
import java.util.stream.Collectors;
import org.cevpn.netconf.RpcError;

/** Instance data was refused; carries the rpc-errors to send back (at least one). */
public final class ValidationException extends Exception {
    private final List<RpcError> errors;

    public ValidationException(final List<RpcError> errors) {
        super(errors.stream().map(RpcError::toString).collect(Collectors.joining("; ")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ValidationException needs at least one rpc-error");
        }
        this.errors = List.copyOf(errors);
    }

    public ValidationException(final RpcError error) {
        this(List.of(error));
    }

    public List<RpcError> errors() {
        return errors;
    }
}
