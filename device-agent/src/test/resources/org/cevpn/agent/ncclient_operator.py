"""An operator's session with ncclient against a CE agent, the issue's list step by step.
argv: port address-of-this-CE address-of-the-peer-CE peer-configuration-file
Prints 'OK <step>' per step; any failure raises (exit status 1)."""
import sys, time
from lxml import etree
from ncclient import manager
from ncclient.operations.rpc import RPCError

port, me, peer, peer_config = int(sys.argv[1]), sys.argv[2], sys.argv[3], open(sys.argv[4]).read()
CE = 'urn:cevpn:params:xml:ns:yang:cevpn-ce-device'


def connect():
    return manager.connect(host='127.0.0.1', port=port, username='admin', password='admin-pw', hostkey_verify=False,
                           allow_agent=False, look_for_keys=False, timeout=30)


def config(body):
    return ('<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" '
            'xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">%s</config>' % body)


def expect_error(tag, fn):
    try:
        fn()
    except RPCError as e:
        assert e.tag == tag, (tag, e.tag, e.message)
        return e
    raise AssertionError('expected rpc-error ' + tag)


def next_notification(m, element, seconds):
    """The next notification carrying <element>, skipping others (configuration-applied...)."""
    end = time.time() + seconds
    while time.time() < end:
        n = m.take_notification(timeout=max(0.1, end - time.time()))
        if n is not None and ('<' + element) in n.notification_xml:
            return n.notification_xml
    raise AssertionError('no %s notification within %s s' % (element, seconds))


m = connect()
caps = list(m.server_capabilities)
for cap in (':base:1.1', ':candidate', ':confirmed-commit:1.1', ':notification:1.0', ':xpath'):
    assert any(cap in c for c in caps), (cap, caps)
print('OK hello session-id', m.session_id)

subtree = m.get_config('running', filter=('subtree', '<ce-device xmlns="%s"><ce-id/></ce-device>' % CE)).data_xml
assert '>ce1<' in subtree and 'pre-configuration' not in subtree, subtree
xpath = m.get_config('running', filter=('xpath', ({'ce': CE}, '/ce:ce-device/ce:pre-configuration/ce:sp-address'))).data_xml
assert '>%s<' % me in xpath and 'ce-id' not in xpath, xpath
print('OK get-config subtree and xpath filters')

# a second session subscribes to the NETCONF stream before anything happens
events = connect()
events.create_subscription()
print('OK create-subscription')

m.edit_config(target='candidate', config=config(peer_config))
vpn = ('subtree', '<ce-device xmlns="%s"><vpn-configuration/></ce-device>' % CE)
assert peer not in m.get_config('running', filter=vpn).data_xml
assert peer in m.get_config('candidate', filter=vpn).data_xml
print('OK edit-config candidate')
m.commit()
print('OK commit')

up = next_notification(events, 'tunnel-up', 20)
assert '<peer>%s</peer>' % peer in up, up
print('OK notification tunnel-up')

state_filter = ('subtree', '<ce-device xmlns="%s"><vpn-configuration><peer><sp-address>%s</sp-address><ike-sa/><child-sa/>'
                '</peer></vpn-configuration></ce-device>' % (CE, peer))
for _ in range(50):
    state = m.get(filter=state_filter).data_xml
    if '<state>established</state>' in state and '<child-sa>' in state:
        break
    time.sleep(0.2)
assert '<state>established</state>' in state and '<inbound-spi>' in state, state
print('OK get ike-sa child-sa')

other = connect()
m.lock('candidate')
e = expect_error('lock-denied', lambda: other.lock('candidate'))
assert e.type == 'protocol', e.type
assert '<session-id>%s</session-id>' % m.session_id in etree.tostring(e.xml).decode().replace('nc:', ''), e.xml
expect_error('in-use', lambda: other.edit_config(target='candidate', config=config(
    '<ce-device xmlns="%s"><ce-id>other</ce-id></ce-device>' % CE)))
m.unlock('candidate')
other.lock('candidate')
other.unlock('candidate')
other.close_session()
print('OK lock conflict')

# confirmed commit that removes the peer, never confirmed: after the timeout running and the tunnel come back
m.edit_config(target='candidate', config=config(
    '<ce-device xmlns="%s"><vpn-configuration><peer nc:operation="delete"><sp-address>%s</sp-address></peer>'
    '</vpn-configuration></ce-device>' % (CE, peer)))
m.commit(confirmed=True, timeout='2')
assert peer not in m.get_config('running', filter=vpn).data_xml
down = next_notification(events, 'tunnel-down', 10)
assert 'peer-removed' in down, down
up = next_notification(events, 'tunnel-up', 20)
assert '<peer>%s</peer>' % peer in up, up
assert peer in m.get_config('running', filter=vpn).data_xml
print('OK confirmed-commit rolled back, tunnel down and up again')

schema = m.get_schema('cevpn-ce-device')
assert 'module cevpn-ce-device {' in schema.data, schema.xml[:300]
print('OK get-schema')

events.close_session()
m.close_session()
print('OK close-session')
