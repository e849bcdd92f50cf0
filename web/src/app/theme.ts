import type { ThemeConfig } from 'antd';

/**
 * The console's antd theme. Secondary, description and placeholder text are darker than antd's defaults so
 * every text meets WCAG 2 AA contrast (4.5:1) on white and on the grey page background (axe-core checks it
 * in the browser tests); antd's defaults (#8c8c8c, #bfbfbf) reach 3.4:1 and 1.8:1.
 */
export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1668dc',
    borderRadius: 6,
    // The CJK font the servers and test browsers have; system fonts first on desktops.
    fontFamily: '-apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Helvetica Neue", Arial, sans-serif',
    colorLink: '#0958d9',
    colorTextSecondary: '#4d4d4d',
    colorTextTertiary: '#595959',
    colorTextDescription: '#595959',
    colorTextPlaceholder: '#6b6b6b',
    colorTextQuaternary: '#6b6b6b',
    colorTextLabel: '#4d4d4d',
  },
  components: {
    Breadcrumb: { itemColor: '#595959', linkColor: '#595959', separatorColor: '#595959', lastItemColor: '#262626' },
    Menu: { itemColor: '#262626', groupTitleColor: '#595959' },
    Table: { headerColor: '#262626' },
    Descriptions: { labelColor: '#595959' },
    // Hover and pressed tab text darker than antd's light blue (#3c8ae8 is 3.5:1 on white).
    Tabs: { itemColor: '#262626', itemHoverColor: '#0958d9', itemActiveColor: '#003eb3', itemSelectedColor: '#1668dc' },
    Pagination: { itemActiveColorDisabled: '#6b6b6b' },
    Statistic: { titleFontSize: 14 },
    // A finished progress bar writes its figure in the success colour: antd's #52c41a is 2.3:1 on white.
    Progress: { colorSuccess: '#237804' },
  },
};
