import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator';
import { createAxiosTransport, type AxiosTransport } from './axiosTransport';

/**
 * One simulator and one keep-alive axios transport per test file, cleared before each
 * test (records, faults, overrides) and closed after the file. `bind` hands them to the
 * file's own variables once they exist.
 */
export function useSimulator(
	options: SimulatorOptions,
	bind: (sim: Simulator, axiosTransport: AxiosTransport) => void,
): void {
	let sim: Simulator | undefined;
	let transport: AxiosTransport | undefined;
	beforeAll(async () => {
		sim = await startSimulator(options);
		transport = createAxiosTransport();
		bind(sim, transport);
	});
	afterAll(async () => {
		transport?.close();
		await sim?.close();
	});
	beforeEach(() => {
		sim?.reset();
		sim?.setFaults(null);
	});
}
