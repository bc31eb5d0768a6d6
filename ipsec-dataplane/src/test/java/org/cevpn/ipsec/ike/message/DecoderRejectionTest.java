package org.cevpn.ipsec.ike.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each malformation answered with the notify RFC 7296 asks for. */
class DecoderRejectionTest {
    private static final String SPIS = "0102030405060708" + "0000000000000000";

    private static byte[] message(int firstPayload, String payloads) {
        int length = 28 + payloads.length() / 2;
        return HexFormat.of().parseHex(SPIS + String.format("%02x", firstPayload) + "20220800000000"
                + String.format("%08x", length) + payloads);
    }

    private static IkeDecodeException rejected(byte[] wire) {
        return assertThrows(IkeDecodeException.class, () -> IkeDecoder.decode(wire));
    }

    private static void syntax(byte[] wire) {
        assertEquals(Optional.of(NotifyType.INVALID_SYNTAX), rejected(wire).notifyType());
    }

    @Test
    void unknownNonCriticalPayloadIsSkippedAndReported() throws Exception {
        // payload 200 (unknown, critical clear) then a vendor id
        DecodedMessage d = IkeDecoder.decode(message(200, "2b000006abcd" + "00000005ff"));
        assertEquals(List.of(200), d.ignoredPayloads());
        assertEquals(List.of(new Payload.VendorId(Octets.fromHex("ff"))), d.payloads());
    }

    @Test
    void unknownCriticalPayloadIsUnsupportedCriticalPayloadWithItsType() {
        IkeDecodeException e = rejected(message(200, "2b800006abcd" + "00000005ff"));
        assertEquals(Optional.of(NotifyType.UNSUPPORTED_CRITICAL_PAYLOAD), e.notifyType());
        assertEquals(Octets.fromHex("c8"), e.notifyData());
    }

    @Test
    void criticalBitOnAKnownPayloadIsIgnored() throws Exception {
        DecodedMessage d = IkeDecoder.decode(message(43, "00800005ff"));
        assertEquals(List.of(new Payload.VendorId(Octets.fromHex("ff"))), d.payloads());
    }

    @Test
    void aResponseCarriesTheAcceptedProposalWithItsNumber() throws Exception {
        DecodedMessage d = IkeDecoder.decode(message(33, "0000000c" + "00000008" + "02010000"));
        Payload.SecurityAssociation sa = (Payload.SecurityAssociation) d.payloads().getFirst();
        assertEquals(2, sa.proposals().getFirst().number());
    }

    @Test
    void shortDatagramCannotBeAnswered() {
        assertTrue(rejected(new byte[27]).notifyType().isEmpty());
    }

    @Test
    void wrongMajorVersionIsAnsweredWithOurVersion() {
        byte[] wire = message(0, "");
        wire[17] = 0x30;
        IkeDecodeException e = rejected(wire);
        assertEquals(Optional.of(NotifyType.INVALID_MAJOR_VERSION), e.notifyType());
        assertEquals(Octets.fromHex("20"), e.notifyData());
    }

    @Test
    void headerLengthMustMatchTheDatagram() {
        byte[] wire = message(43, "00000005ff");
        wire[27]++;
        syntax(wire);
        byte[] longer = java.util.Arrays.copyOf(message(43, "00000005ff"), 34);
        syntax(longer);
    }

    @Test
    void payloadLengthsAreChecked() {
        syntax(message(43, "00000003ff"));        // length below the generic header
        syntax(message(43, "00000009ff"));        // length beyond the message
        syntax(message(43, "2b000005ff"));        // chain continues, octets do not
        syntax(message(43, "00000005ff" + "00")); // octets after the last payload
        syntax(message(40, "00000013" + "00".repeat(15))); // nonce of 15
        syntax(message(40, "00000105" + "00".repeat(257))); // nonce of 257
        syntax(message(34, "00000007000e00")); // KE shorter than its fixed part
    }

    @Test
    void substructuresAreChecked() {
        // SA: transform count says 2, one present
        syntax(message(33, "00000014" + "00000010" + "01010002" + "00000008" + "02000005"));
        // SA: proposal numbered 0
        syntax(message(33, "0000000c" + "00000008" + "00010000"));
        // SA: proposals numbered 1 and 3
        syntax(message(33, "00000014" + "02000008" + "01010000" + "00000008" + "03010000"));
        // SA: proposal length runs past the payload
        syntax(message(33, "0000000c" + "00000010" + "01010000"));
        // transform attribute TLV longer than the transform
        syntax(message(33, "00000018" + "00000014" + "01010001" + "0000000c" + "01000014" + "000e0009"));
        // TS: count 2, one selector
        syntax(message(44, "00000018" + "02000000" + "07000010" + "0000ffff" + "0a000000" + "0affffff"));
        // TS: IPv4 selector claiming 40 octets
        syntax(message(44, "00000018" + "01000000" + "07000028" + "0000ffff" + "0a000000" + "0affffff"));
        // Delete: ESP with 2 SPIs announced, one present
        syntax(message(42, "0000000c" + "03040002" + "01020304"));
        // Delete: IKE SA with an SPI
        syntax(message(42, "0000000c" + "01040001" + "01020304"));
        // Notify: SPI size beyond the payload
        syntax(message(41, "00000008" + "03044006"));
    }

    @Test
    void encryptedPayloadMustBeLastAndNotNested() {
        syntax(message(46, "2b000008" + "aabbccdd" + "00000005ff"));
        IkeDecodeException nested = assertThrows(IkeDecodeException.class,
                () -> IkeDecoder.decodeInner(46, HexFormat.of().parseHex("00000008aabbccdd")));
        assertEquals(Optional.of(NotifyType.INVALID_SYNTAX), nested.notifyType());
    }

    @Test
    void fragmentNumbersAreChecked() {
        syntax(message(53, "23000009" + "00030002" + "aa")); // fragment 3 of 2
        syntax(message(53, "23000009" + "00000002" + "aa")); // fragment 0
        syntax(message(53, "23000009" + "00020002" + "aa")); // fragment 2 names an inner payload
    }
}
