import { sendEmailTool } from '../../../office/office-tools.ts';
import { WRITTEN_BY_USER } from '../../policy.ts';

/** The travel suite has no drive: its emails carry no file. */
export const sendEmail = sendEmailTool({ recipients: WRITTEN_BY_USER, text: WRITTEN_BY_USER });
