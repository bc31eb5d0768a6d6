package org.cevpn.agent.pull.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The VPN server's renderer (draft §3.1, §3.3): one CE's view of the VPN database — its VPN memberships (vpn-id,
 * site-role, local prefixes, sa-profile as sa-defaults), its peers (the other members of each of its VPNs; in a
 * hub-and-spoke VPN a spoke sees the hubs only, a hub sees everyone) with their SP addresses, remote prefixes,
 * the VPN's authentication method and tunnel profile, and the pair's pre-shared key; its local credentials when
 * one of its VPNs uses digital signatures. Output: the children of {@code vpn-configuration} (without
 * configuration-version), XML in the cevpn-vpn-database namespace, deterministic (sorted) so that two renderings
 * can be compared to find out whose configuration a commit changed.
 *
 * <p>Works on the {@code <vpn-database>} element of running as DOM, with no other dependency, so that the
 * controller can take it over as it is. Not done here (the controller's key authority is a later issue): a pair
 * of CEs in a pre-shared VPN without a {@code pre-shared-key} entry gets no key generated — the peer is left out.
 */
public final class CeConfigurationRenderer {
    public static final String VDB = "urn:cevpn:params:xml:ns:yang:cevpn-vpn-database";

    private CeConfigurationRenderer() {
    }

    /** The CE's configuration, or empty when the database has no such CE. */
    public static Optional<String> render(Element vpnDatabase, String ceId) {
        Map<String, Element> ces = new LinkedHashMap<>();
        for (Element device : children(vpnDatabase, "ce-device")) {
            ces.put(text(device, "id"), device);
        }
        Element self = ces.get(ceId);
        if (self == null) {
            return Optional.empty();
        }
        Map<String, Element> vpns = new LinkedHashMap<>();
        for (Element vpn : children(vpnDatabase, "vpn")) {
            vpns.put(text(vpn, "id"), vpn);
        }
        var vpnXml = new StringBuilder();
        Map<String, String> peers = new java.util.TreeMap<>(); // by sp-address: a pair of CEs shares one VPN at most
        boolean signatures = false;
        List<Element> memberships = new ArrayList<>(children(self, "vpn-membership"));
        memberships.sort(Comparator.comparing(m -> text(m, "vpn-id")));
        for (Element membership : memberships) {
            String vpnId = text(membership, "vpn-id");
            Element vpn = vpns.get(vpnId);
            if (vpn == null) {
                continue;
            }
            boolean hubAndSpoke = "hub-and-spoke".equals(textOr(vpn, "topology", "full-mesh"));
            List<String> hubs = children(vpn, "hub").stream().map(h -> h.getTextContent().strip()).toList();
            boolean hub = hubAndSpoke && hubs.contains(ceId);
            String method = textOr(vpn, "authentication-method", "pre-shared");
            signatures |= method.equals("digital-signature");
            vpnXml.append("<vpn><vpn-id>").append(esc(vpnId)).append("</vpn-id><site-role>").append(hub ? "hub" : "spoke")
                    .append("</site-role>");
            prefixes(membership).forEach(p -> vpnXml.append("<local-prefix>").append(esc(p)).append("</local-prefix>"));
            Element profile = child(vpn, "sa-profile");
            if (profile != null && !children(profile).isEmpty()) {
                vpnXml.append("<sa-defaults>").append(copyChildren(profile)).append("</sa-defaults>");
            }
            vpnXml.append("</vpn>");
            for (var entry : ces.entrySet()) {
                String peerId = entry.getKey();
                Element peer = entry.getValue();
                Element peerMembership = children(peer, "vpn-membership").stream()
                        .filter(m -> vpnId.equals(text(m, "vpn-id"))).findFirst().orElse(null);
                if (peerId.equals(ceId) || peerMembership == null || (hubAndSpoke && !hub && !hubs.contains(peerId))) {
                    continue;
                }
                String key = null;
                if (method.equals("pre-shared")) {
                    key = preSharedKey(vpn, ceId, peerId);
                    if (key == null) {
                        continue; // no key authority here: a pair without a key gets no tunnel
                    }
                }
                String address = text(peer, "sp-address");
                var p = new StringBuilder("<peer><sp-address>").append(esc(address)).append("</sp-address><ce-id>")
                        .append(esc(peerId)).append("</ce-id><vpn-id>").append(esc(vpnId)).append("</vpn-id><authentication-method>")
                        .append(method).append("</authentication-method>");
                if (key != null) {
                    p.append("<pre-shared-key>").append(esc(key)).append("</pre-shared-key>");
                }
                Element tunnel = child(vpn, "tunnel-profile");
                if (tunnel != null && !children(tunnel).isEmpty()) {
                    p.append("<tunnel-information>").append(copyChildren(tunnel)).append("</tunnel-information>");
                }
                prefixes(peerMembership).forEach(x -> p.append("<remote-prefix>").append(esc(x)).append("</remote-prefix>"));
                peers.putIfAbsent(address, p.append("</peer>").toString());
            }
        }
        var out = new StringBuilder();
        Element credentials = child(self, "ike-credentials");
        if (signatures && credentials != null) {
            out.append("<local-credentials>").append(copyChildren(credentials));
            children(vpnDatabase, "ca-certificate").forEach(c -> out.append("<ca-certificate>")
                    .append(esc(c.getTextContent().strip())).append("</ca-certificate>"));
            out.append("</local-credentials>");
        }
        out.append(vpnXml);
        peers.values().forEach(out::append);
        return Optional.of(out.toString());
    }

    private static String preSharedKey(Element vpn, String a, String b) {
        for (Element psk : children(vpn, "pre-shared-key")) {
            String x = text(psk, "ce-id");
            String y = text(psk, "peer-ce-id");
            if ((x.equals(a) && y.equals(b)) || (x.equals(b) && y.equals(a))) {
                return text(psk, "key");
            }
        }
        return null;
    }

    private static List<String> prefixes(Element membership) {
        return children(membership, "local-prefix").stream().map(e -> e.getTextContent().strip()).sorted().toList();
    }

    /** The element's children as XML (leaves and containers of the shared groupings), unprefixed. */
    private static String copyChildren(Element parent) {
        var x = new StringBuilder();
        for (Element c : children(parent)) {
            x.append('<').append(c.getLocalName()).append('>');
            if (children(c).isEmpty()) {
                x.append(esc(c.getTextContent().strip()));
            } else {
                x.append(copyChildren(c));
            }
            x.append("</").append(c.getLocalName()).append('>');
        }
        return x.toString();
    }

    private static String text(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? "" : c.getTextContent().strip();
    }

    private static String textOr(Element parent, String name, String otherwise) {
        Element c = child(parent, name);
        return c == null ? otherwise : c.getTextContent().strip();
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        return children(parent).stream().filter(e -> name.equals(e.getLocalName())).toList();
    }

    private static List<Element> children(Element parent) {
        List<Element> list = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                list.add(e);
            }
        }
        return list;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
