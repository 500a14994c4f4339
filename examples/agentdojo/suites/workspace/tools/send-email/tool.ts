import { sendEmailTool } from '../../../office/office-tools.ts';
import { PEOPLE_VOUCHERS, WRITTEN_BY_USER } from '../../policy.ts';

export const sendEmail = sendEmailTool({ recipients: PEOPLE_VOUCHERS, text: WRITTEN_BY_USER }, true);
