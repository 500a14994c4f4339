import { safeRelativePath } from '../../shared/argument-types/index.ts';

/** The path argument shared by the document tools. */
export const documentPath = () =>
  safeRelativePath({
    description:
      'Document path relative to the document root, such as policies/leave-policy.md. Letters, digits, . _ - and / only. Max 256 characters.',
  });
