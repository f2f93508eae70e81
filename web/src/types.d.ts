// cytoscape-svg ships no types: it registers `cy.svg(options)` on the core.
declare module 'cytoscape-svg' {
  import type cytoscape from 'cytoscape';
  const ext: cytoscape.Ext;
  export default ext;
}
declare module 'cytoscape-dagre' {
  import type cytoscape from 'cytoscape';
  const ext: cytoscape.Ext;
  export default ext;
}
