import type { IDataObject } from 'n8n-workflow';

import type { RecipientResult } from '../../../shared/providers/types';

/**
 * One output item per recipient, always with the same keys so that the next node
 * (an IF on `status`, a sheet row per recipient) never meets a missing column.
 */
export function recipientItem(result: RecipientResult): IDataObject {
	return {
		to: result.to,
		status: result.status,
		messageId: result.messageId ?? null,
		parts: result.parts,
		encoding: result.encoding,
		provider: result.provider,
		error: result.error ? { ...result.error } : null,
		...(result.partMessageIds ? { partMessageIds: result.partMessageIds } : {}),
		...(result.dryRun ? { dryRun: true } : {}),
		...(result.duplicates ? { duplicates: result.duplicates } : {}),
	};
}
