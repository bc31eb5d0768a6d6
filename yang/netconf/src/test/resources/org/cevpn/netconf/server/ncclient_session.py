"""Drives our NETCONF server with ncclient. argv: port user password-or-empty keyfile-or-empty.
Prints one 'OK <step>' line per step; any failure raises (non-zero exit)."""
import sys, time
from lxml import etree
from ncclient import manager
from ncclient.operations.rpc import RPCError

port, user, password, keyfile = int(sys.argv[1]), sys.argv[2], sys.argv[3] or None, sys.argv[4] or None
NS = 'urn:cevpn:test:ds-test'

def connect():
    return manager.connect(host='127.0.0.1', port=port, username=user, password=password,
                           key_filename=keyfile, hostkey_verify=False, allow_agent=False,
                           look_for_keys=False, timeout=30)

def config(body):
    return '<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"><top xmlns="%s">%s</top></config>' % (NS, body)

def expect_error(tag, fn):
    try:
        fn()
    except RPCError as e:
        assert e.tag == tag, (tag, e.tag, e.message)
        return e
    raise AssertionError('expected rpc-error ' + tag)

m = connect()
caps = set(m.server_capabilities)
assert 'urn:ietf:params:netconf:base:1.1' in caps and ':candidate' in str(caps)
print('OK hello', m.session_id)

print('OK get-config', len(m.get_config('running').data_xml))

m.edit_config(target='candidate', config=config('<name>from-ncclient</name><mtu>1500</mtu>'))
assert 'from-ncclient' not in m.get_config('running').data_xml
print('OK edit-config candidate')

m.validate(source='candidate')
print('OK validate')

m.commit()
assert 'from-ncclient' in m.get_config('running').data_xml
print('OK commit')

# lock conflict between two sessions
other = connect()
m.lock('running')
e = expect_error('lock-denied', lambda: other.lock('running'))
xml = etree.tostring(e.xml).decode()
assert '<session-id>%s</session-id>' % m.session_id in xml.replace('nc:', ''), xml
expect_error('in-use', lambda: other.edit_config(target='running', config=config('<name>x</name>')))
m.unlock('running')
other.lock('running'); other.unlock('running')
print('OK lock conflict')

# confirmed commit that is never confirmed: rolled back after its timeout
m.edit_config(target='candidate', config=config('<name>unconfirmed</name>'))
m.commit(confirmed=True, timeout='2')
assert 'unconfirmed' in m.get_config('running').data_xml
time.sleep(4)
assert 'unconfirmed' not in m.get_config('running').data_xml, m.get_config('running').data_xml
assert 'from-ncclient' in m.get_config('running').data_xml
m.discard_changes()
print('OK confirmed-commit rollback')

# a bad edit: invalid value, error-path names the leaf, running unchanged
e = expect_error('invalid-value', lambda: m.edit_config(target='running', config=config('<mtu>1</mtu>')))
assert e.path and 'mtu' in e.path, etree.tostring(e.xml).decode()
assert '<mtu>1500</mtu>' in m.get_config('running').data_xml
print('OK invalid-value')

schema = m.get_schema('ds-test')
assert 'module ds-test' in schema.data, schema.xml[:300]
print('OK get-schema')

state = m.get().data_xml
assert 'netconf-state' in state and '<session-id>%s</session-id>' % m.session_id in state
print('OK get netconf-state')

other.close_session()
m.close_session()
print('OK close-session')
