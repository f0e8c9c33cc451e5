// A streaming answer is parsed again every few tenths of a second, and almost all of it is what
// was there before. Putting the new parse in place node by node, keeping every node that did
// not change (and growing a text node where only its end is new), spares the browser styling,
// shaping and painting the whole answer again each time.

/** Makes `target`'s children equal to `source`'s (which it takes), changing as little as it can. */
export function morphChildren(target: Element, source: Node): void {
  const fresh = [...source.childNodes];
  let kept = 0;
  for (; kept < fresh.length && kept < target.childNodes.length; kept++) {
    if (!morphNode(target.childNodes[kept]!, fresh[kept]!)) break;
  }
  while (target.childNodes.length > kept) target.lastChild!.remove();
  target.append(...fresh.slice(kept));
}

/** Makes `node` equal to `like` in place; false when it cannot (another kind of node). */
function morphNode(node: Node, like: Node): boolean {
  if (node.isEqualNode(like)) return true;
  if (node instanceof Text && like instanceof Text) {
    if (like.data.startsWith(node.data)) node.appendData(like.data.slice(node.data.length));
    else node.data = like.data;
    return true;
  }
  if (!(node instanceof Element && like instanceof Element) || !sameAttributes(node, like)) return false;
  morphChildren(node, like);
  return true;
}

function sameAttributes(element: Element, like: Element): boolean {
  if (element.tagName !== like.tagName || element.attributes.length !== like.attributes.length) return false;
  return [...like.attributes].every((attribute) => element.getAttribute(attribute.name) === attribute.value);
}
