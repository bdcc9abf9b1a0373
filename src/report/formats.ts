/** The formats `netops report inventory` renders, apart from the renderers so the CLI can list them cheaply. */
export const reportFormats = ['html', 'csv', 'md', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];
