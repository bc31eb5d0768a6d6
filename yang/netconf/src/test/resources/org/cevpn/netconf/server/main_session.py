"""Drives NetconfServerMain (NACM, filters, notifications) with ncclient on the CE model.
argv: port example-config-file. Prints 'OK <step>' per step; any failure raises."""
import re, sys
from ncclient import manager
from ncclient.operations.rpc import RPCError

port, example = int(sys.argv[1]), open(sys.argv[2]).read()
example = re.sub(r'<!--.*?-->', '', re.sub(r'<\?xml[^>]*\?>', '', example), flags=re.S)
CE = 'urn:cevpn:params:xml:ns:yang:cevpn-ce-device'

def connect(user, password):
    return manager.connect(host='127.0.0.1', port=port, username=user, password=password, hostkey_verify=False,
                           allow_agent=False, look_for_keys=False, timeout=30)

admin = connect('admin', 'admin-pw')
caps = ' '.join(admin.server_capabilities)
for cap in (':notification:1.0', ':interleave:1.0', ':xpath:1.0', ':with-defaults:1.0', 'yang-library:1.1'):
    assert cap in caps, cap
print('OK hello')

admin.edit_config(target='candidate', config='<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">%s</config>' % example)
admin.commit()
assert 'private-key' in admin.get_config('running').data_xml
print('OK commit of the CE example')

sub = admin.get_config('running', filter=('subtree', '<ce-device xmlns="%s"><ce-id/></ce-device>' % CE)).data_xml
assert '<ce-id>ce1</ce-id>' in sub and 'pre-configuration' not in sub, sub
xp = admin.get_config('running', filter=('xpath', ({'ce': CE}, '/ce:ce-device/ce:ce-id'))).data_xml
assert 'ce1' in xp and 'pre-configuration' not in xp, xp
print('OK filters')

assert 'module cevpn-ce-device' in admin.get_schema('cevpn-ce-device').data
print('OK get-schema')

admin.create_subscription()
print('OK create-subscription')

guest = connect('guest', 'guest-pw')
seen = guest.get_config('running').data_xml
assert '<ce-id>ce1</ce-id>' in seen and 'private-key' not in seen, 'default-deny-all secrets must be invisible'
try:
    guest.edit_config(target='running', config='<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">'
                      '<ce-device xmlns="%s"><ce-id>evil</ce-id></ce-device></config>' % CE)
    raise AssertionError('guest write accepted')
except RPCError as e:
    assert e.tag == 'access-denied', e.tag
assert '<ce-id>ce1</ce-id>' in admin.get_config('running').data_xml
print('OK nacm')
guest.close_session()
admin.close_session()
