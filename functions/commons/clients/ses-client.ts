import { SESv2Client } from '@aws-sdk/client-sesv2';

/** The SES client of a tool with an `email` resource (a module of its own: other tools' bundles leave SES out). */
export const newSesClient = () => new SESv2Client({});
