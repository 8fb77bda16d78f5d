/**
 * What this project announces in the software-version capability (draft-abraitis-bgp-version-capability)
 * outside conformance runs: the toolkit's name and the version of this package (kept equal to package.json by
 * a test).
 */
export const PROJECT_NAME = 'bgp-toolkit';
export const PROJECT_VERSION = '0.1.0';
export const SOFTWARE_VERSION = `${PROJECT_NAME}/${PROJECT_VERSION}`;
