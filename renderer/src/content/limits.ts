/**
 * The largest pack file the workspace sends: equal to the contract's `contentPackUploadLimit` (a test keeps them
 * equal). Kept here because importing the contract module at run time would bring zod into the renderer.
 */
export const packFileLimitBytes = 64 * 1024 * 1024;
