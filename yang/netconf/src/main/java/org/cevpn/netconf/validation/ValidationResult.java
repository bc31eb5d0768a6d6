package org.cevpn.netconf.validation;

import java.util.List;
import org.cevpn.netconf.RpcError;

/** The verdict on a datastore: valid when there are no errors. */
public record ValidationResult(List<RpcError> errors) {
    public static final ValidationResult VALID = new ValidationResult(List.of());

    public ValidationResult {
        errors = List.copyOf(errors);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /** Throws the errors, for callers (edit-config, commit) that abort on the first refusal. */
    public void orThrow() throws ValidationException {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
