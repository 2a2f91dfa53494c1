/**
 * The e2e tests' decoder (test/helpers/contentDecoding.js, plain JS so a real-n8n test can
 * use it) against the fact sheet's worked examples, a push in the form of published dumps,
 * and the codec tests' decoder (test/helpers/contentDecoder.ts) on the encoders' output: two
 * readers written apart must agree.
 */
import { mmsNotification, vcardMessage, wapPushSi } from '../nodes/shared/codec';
import { decodeContentMessage, vcardValues } from './helpers/contentDecoder';
import {
	decodeContentDatagram,
	decodeMmsNotificationPdu,
	decodeServiceIndication,
	decodeVcardText,
	decodeWspPush,
} from './helpers/contentDecoding';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('content decoder (written from the specifications)', () => {
	it('reads the one-segment SI example', () => {
		const decoded = decodeContentDatagram(2948, hex('010601AE02056A0045C60F036578616D706C65008503610011033432000AC306202406011230010348656C6C6F000101'));
		expect(decoded).toMatchObject({
			kind: 'wapPushSi',
			push: { tid: 1, contentType: 0x2e },
			si: { version: 2, publicId: 5, charset: 106, href: 'https://www.example.com/a', text: 'Hello', siId: '42', created: '2024-06-01T12:30:00Z' },
		});
	});

	it('reads the M-Notification.ind example', () => {
		const decoded = decodeContentDatagram(
			2948,
			hex(
				'010603BEAF848C82985431008D928917802B343531323334353637382F545950453D504C4D4E00964869008A808E0230398805810301518083687474703A2F2F6D6D73632E6578616D706C652E636F6D2F6D3100',
			),
		);
		expect(decoded).toMatchObject({
			kind: 'mmsNotification',
			push: { contentType: 0x3e, applicationId: 0x04 },
			mms: {
				messageType: 0x82,
				transactionId: 'T1',
				version: { major: 1, minor: 2 },
				from: '+4512345678/TYPE=PLMN',
				subject: 'Hi',
				messageClass: 0x80,
				size: 12345,
				expiry: { relative: true, seconds: 86400 },
				contentLocation: 'http://mmsc.example.com/m1',
			},
		});
	});

	it('reads the two-segment SI once reassembled', () => {
		const datagram = Buffer.concat([
			hex('010601AE02056A0045C60D036578616D706C650088036E6577732F' + '6E6577732F'.repeat(20) + '6E'),
			hex('6577732F6E6577732F6E6577732F0008010352656164207468652077686F6C652073746F7279000101'),
		]);
		expect(decodeWspPush(datagram).contentType).toBe(0x2e);
		const { si } = decodeContentDatagram(2948, datagram) as { si: { href: string; text: string; action: string } };
		expect(si).toMatchObject({ href: 'http://www.example.org/' + 'news/'.repeat(24), text: 'Read the whole story', action: 'signal-high' });
	});

	it('reads the vCard example and insists on CR LF', () => {
		const vcard = 'BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;John\r\nTEL;CELL:+4512345678\r\nEND:VCARD\r\n';
		expect(decodeContentDatagram(9204, Buffer.from(vcard)).kind).toBe('vcard');
		expect(decodeVcardText(Buffer.from(vcard)).properties).toEqual([
			['VERSION', '2.1'],
			['N', 'Doe;John'],
			['TEL;CELL', '+4512345678'],
		]);
		expect(() => decodeVcardText(Buffer.from(vcard.replace(/\r\n/g, '\n')))).toThrow(/CR LF/);
	});

	it('reads a push whose content type has a charset parameter (general form, as in published dumps) and OPAQUE dates', () => {
		const si = '02056A0045C60C036D6F62696C65746964696E67732E636F6D2F000AC306200902261625' + '10C306200903041625' + '010348656C6C6F000101';
		const decoded = decodeContentDatagram(2948, hex('0B060403AE81EA' + si));
		expect(decoded).toMatchObject({ kind: 'wapPushSi', push: { tid: 0x0b, contentType: 0x2e, contentTypeParameters: { 0x01: 0x6a } } });
		expect(decodeServiceIndication(hex(si))).toMatchObject({
			href: 'http://mobiletidings.com/',
			created: '2009-02-26T16:25:00Z',
			expires: '2009-03-04T16:25:00Z',
			text: 'Hello',
		});
	});

	it('refuses a notification whose first headers are out of order', () => {
		expect(() => decodeMmsNotificationPdu(hex('985431008C828D92'))).toThrow(/must come first/);
	});

	describe('agrees with the codec tests\' decoder on what the encoders make', () => {
		const datagramOf = (message: { parts: Array<{ udh: string; payload: string }> }) => Buffer.concat(message.parts.map((p) => hex(p.payload)));
		const portOf = (message: { parts: Array<{ udh: string }> }) => parseInt(message.parts[0].udh.slice(6, 10), 16);

		it('a WAP Push SI in several parts, with id, action and dates', () => {
			const message = wapPushSi({
				href: `https://www.example.com/${'deals/'.repeat(40)}`,
				text: 'Caf\u00e9 deals \u2615',
				siId: 'd1',
				action: 'delete',
				created: '2030-01-31T09:30:00Z',
				expires: '2030-02-01T00:00:00Z',
			});
			expect(message.parts.length).toBeGreaterThan(1);
			const theirs = decodeContentMessage(message);
			const ours = decodeContentDatagram(portOf(message), datagramOf(message));
			if (theirs.kind !== 'si' || ours.kind !== 'wapPushSi') throw new Error('not an SI');
			const pick = (si: { href?: string; text: string; siId?: string; action?: string; created?: string; expires?: string }) => [si.href, si.text, si.siId, si.action, si.created, si.expires];
			expect(pick(ours.si)).toEqual(pick(theirs.si));
		});

		it('an MMS notification', () => {
			const message = mmsNotification({ contentLocation: 'http://mmsc.example.com/x', from: '+447700900999', subject: '\u00dcberraschung', size: 70000, expiry: 3600, messageClass: 'advertisement' });
			const theirs = decodeContentMessage(message);
			const ours = decodeContentDatagram(portOf(message), datagramOf(message));
			if (theirs.kind !== 'mms-notification' || ours.kind !== 'mmsNotification') throw new Error('not a notification');
			const t = theirs.notification;
			expect([ours.mms.transactionId, ours.mms.from, ours.mms.subject, ours.mms.size, ours.mms.expiry.seconds, ours.mms.contentLocation]).toEqual([
				t.transactionId,
				t.from,
				t.subject,
				t.size,
				t.expiry.value,
				t.contentLocation,
			]);
		});

		it('a vCard', () => {
			const message = vcardMessage({ fn: 'Jane Doe', n: 'Doe;Jane', tel: ['+447700900123', '+447700900456'], org: 'ACME' });
			const theirs = decodeContentMessage(message);
			const ours = decodeContentDatagram(portOf(message), datagramOf(message));
			if (theirs.kind !== 'vcard' || ours.kind !== 'vcard') throw new Error('not a vCard');
			expect(theirs.vcard.crlf).toBe(true);
			const ourValues = (name: string) => ours.vcard.properties.filter(([key]) => key.split(';')[0].toUpperCase() === name).map(([, value]) => value);
			for (const name of ['FN', 'N', 'TEL', 'ORG']) expect(ourValues(name)).toEqual(vcardValues(theirs.vcard, name));
		});
	});
});
