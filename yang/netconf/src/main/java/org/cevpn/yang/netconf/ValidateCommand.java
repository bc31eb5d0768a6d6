package org.cevpn.yang.netconf;

/**
 * The class name the {@code ./cevpn validate} launcher runs today; the command itself is
 * {@link org.cevpn.netconf.validation.ValidateCommand}. Remove this once the launcher names that class.
 */
public final class ValidateCommand {
    private ValidateCommand() {
    }

    public static void main(final String[] args) {
        org.cevpn.netconf.validation.ValidateCommand.main(args);
    }
}
