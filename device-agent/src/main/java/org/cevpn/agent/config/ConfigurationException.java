package org.cevpn.agent.config;

/**
 * Running data the schema allows but the agent cannot use (e.g. a transform it does not implement). The
 * message names the leaf, never a value that could be a key.
 */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
