/**
 * MX Telecom / OpenMarket has no balance, status or group call in its HTTP interface
 * (mx-telecom-http.md): the client refuses each clearly, before any request leaves.
 */
import type { Simulator } from '../../simulator';
import { createGatewayClient, GatewayValidationError } from '../../nodes/shared/providers';
import { useSimulator } from '../helpers/useSimulator';
import { mxConfig, rejection } from './support';

let sim: Simulator;
useSimulator({ port: 0, seed: 25 }, (started) => {
	sim = started;
});

describe('MX Telecom account operations', () => {
	const client = () => createGatewayClient(mxConfig(sim));

	it('has no balance query: says so and where to look instead', async () => {
		const error = await rejection(client().getBalance());
		expect(error).toBeInstanceOf(GatewayValidationError);
		expect(error).toMatchObject({ field: 'provider' });
		expect((error as Error).message).toMatch(/MX Telecom \/ OpenMarket has no balance query.*account portal/);
		expect(sim.requests).toHaveLength(0);
	});

	it('has no status query: points to the delivery reports', async () => {
		const [sent] = await client().send({ to: '447700900001', message: 'hi', deliveryReport: true });
		const error = await rejection(client().getStatus(sent.messageId as string));
		expect(error).toBeInstanceOf(GatewayValidationError);
		expect(error).toMatchObject({ field: 'provider' });
		expect((error as Error).message).toMatch(/no status query.*delivery reports arrive only as pushes.*SMS Gateway Trigger/);
		expect(sim.requests).toHaveLength(1);
	});

	it('has no phone-book groups', async () => {
		await expect(client().broadcastToGroups({ groupIds: '1', message: 'x' })).rejects.toMatchObject({ field: 'groupIds' });
		expect(sim.requests).toHaveLength(0);
	});
});
