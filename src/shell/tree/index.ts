export { TreeNode, ParentNode, MessageNode, ErrorNode, contextValue } from './treeNode';
export { NodeTreeProvider } from './nodeTreeProvider';
export { VisibleRefresher } from './visibleRefresher';
