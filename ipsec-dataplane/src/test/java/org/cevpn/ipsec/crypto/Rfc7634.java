package org.cevpn.ipsec.crypto;

/** The ESP example of RFC 7634 Appendix A, shared by the crypto and ESP known-answer tests. */
public final class Rfc7634 {
    private Rfc7634() {}

    public static final String KEY_AND_SALT = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" + "a0a1a2a3";
    public static final int SPI = 0x01020304;
    public static final int SEQ = 5;
    public static final String IV = "1011121314151617";
    /** Inner IPv4 ICMP echo (84 bytes) + padding 01 02 + pad length 2 + next header 4. */
    public static final String ESP_PLAIN =
            "45000054a6f2000040" + "01e778c6336405c0000205"
                    + "08005b7a3a080000553bec100007362708090a0b0c0d0e0f10111213"
                    + "1415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"
                    + "01020204";
    public static final String ESP_CIPHER_AND_TAG =
            "24039428b97f417e3c13753a4f05087b67c352e6a7fab1b982d466ef407ae5c6"
                    + "14ee8099d52844eb61aa95dfab4c02f72aa71e7c4c4f64c9befe2facc638e8f3"
                    + "cbec163fac469b502773f6fb94e664da9165b82829f641e076aaa8266b7fb0f7"
                    + "b11b369907e1ad43";
}
