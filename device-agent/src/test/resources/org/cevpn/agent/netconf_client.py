"""A NETCONF client for the agent tests (ncclient over SSH).
argv: port user password command [file]
  edit FILE      edit-config FILE's <ce-device> into candidate (merge; nc:operation attributes honoured), commit
  reset ADDRESS  the reset action on that peer
  get            prints 'DATA <xml>' of an unfiltered get (configuration and state)
  get-config     prints 'DATA <xml>' of get-config on running
  notifications  replays the NETCONF stream from the start; prints 'NOTIFICATION <xml>' per event
Prints 'OK <command>'; an rpc-error raises (exit status 1)."""
import sys
from ncclient import manager

port, user, password, command = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
m = manager.connect(host='127.0.0.1', port=port, username=user, password=password, hostkey_verify=False,
                    allow_agent=False, look_for_keys=False, timeout=30)
if command == 'edit':
    body = open(sys.argv[5]).read()
    m.discard_changes()  # the candidate starts as running
    m.edit_config(target='candidate', config='<config xmlns="urn:ietf:params:xml:ns:netconf:base:1.0" '
                  'xmlns:nc="urn:ietf:params:xml:ns:netconf:base:1.0">%s</config>' % body)
    m.commit()
elif command == 'reset':
    from ncclient.xml_ import to_ele
    m.dispatch(to_ele('<action xmlns="urn:ietf:params:xml:ns:yang:1"><ce-device xmlns="urn:cevpn:params:xml:ns:yang:cevpn-ce-device">'
                      '<vpn-configuration><peer><sp-address>%s</sp-address><reset/></peer></vpn-configuration></ce-device></action>'
                      % sys.argv[5]))
elif command == 'get':
    print('DATA ' + m.get().data_xml.replace('\n', ' '))
elif command == 'get-config':
    print('DATA ' + m.get_config(source='running').data_xml.replace('\n', ' '))
elif command == 'notifications':
    m.create_subscription(start_time='1970-01-01T00:00:00Z')
    while True:
        n = m.take_notification(timeout=10)
        if n is None:
            raise AssertionError('no replayComplete')
        xml = n.notification_xml.replace('\n', ' ')
        if 'replayComplete' in xml:
            break
        print('NOTIFICATION ' + xml)
print('OK ' + command)
m.close_session()
