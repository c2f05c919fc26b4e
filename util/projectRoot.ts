import * as path from "path";

/** The checkout's root folder: where Pulumi.yaml, the stack files and the image build contexts are. */
export const projectRoot = path.resolve(__dirname, "..");
