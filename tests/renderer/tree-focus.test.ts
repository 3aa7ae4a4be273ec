/**
 * The shared tree (library, content preview) in a real Chromium: it takes the focus after a key or a click on it, and
 * never later. A key that changed nothing (Home on the first row) used to leave a focus request behind, and the next
 * new data (a preview reloaded after archiving a drill pack) pulled the focus from wherever the user had gone.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { componentPagesForFile, focusedElement, rendererSrc } from '../helpers/component-page';

const entry = `
  import { createElement, useState } from 'react';
  import { createRoot } from 'react-dom/client';
  import { Tree } from ${JSON.stringify(join(rendererSrc, 'components/tree/Tree.tsx'))};
  window.treeTest = { createElement, useState, createRoot, Tree };
`;

// A controlled tree as its callers hold it, and a way to hand it new data with the same rows (a reload).
const mountTree = `(() => {
  const t = window.treeTest;
  const leaf = (id) => ({ id, label: 'Record ' + id, data: null, children: [] });
  function Harness() {
    const [roots, setRoots] = t.useState([leaf('a'), leaf('b'), leaf('c')]);
    const [state, setState] = t.useState({ expanded: new Set(), activeId: 'a' });
    window.reloadTree = () => setRoots((old) => old.map((node) => ({ ...node })));
    return t.createElement('div', null,
      t.createElement('span', { id: 'tree-label' }, 'Records'),
      t.createElement(t.Tree, {
        roots, expanded: state.expanded, activeId: state.activeId,
        onChange: (expanded, activeId) => setState({ expanded, activeId }),
        labelledBy: 'tree-label', describedBy: 'tree-label', rowIdPrefix: 'row-', rowHeight: 32,
        rowClassName: () => '', renderRow: (row) => row.label,
      }),
      t.createElement('button', { id: 'elsewhere' }, 'Archive'));
  }
  t.createRoot(document.getElementById('root')).render(t.createElement(Harness));
})()`;

const pageWith = componentPagesForFile(entry);

describe('the tree and the focus', () => {
  it('a key that changes nothing leaves no focus request for later data to act on', async () => {
    const page = await pageWith('{}', '<main><div id="root"></div></main>');
    await page.evaluate(mountTree);
    await page.locator('#row-a').focus();
    await page.keyboard.press('Home'); // already on the first row
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toBe('elsewhere');
    await page.evaluate('window.reloadTree()');
    await page.waitForTimeout(100);
    expect(await focusedElement(page)).toBe('elsewhere');
    await page.close();
  });

  it('a key that moves the active row takes the focus to it', async () => {
    const page = await pageWith('{}', '<main><div id="root"></div></main>');
    await page.evaluate(mountTree);
    await page.locator('#row-a').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focusedElement(page)).toBe('row-b');
    await page.close();
  });
});
