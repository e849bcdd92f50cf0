import { defineRoute, fileResult } from '../../../platform/http/route.ts';
import { renderPdf } from '../../../platform/reports/index.ts';
import { ASSISTANT_RANGE } from './accounts.ts';
import { FileResponse } from '../../../platform/http/schema.ts';

/** 操作手册: generated from the same text the console shows, so it never drifts from the product. */
export const MANUAL: { heading: string; paragraphs: string[] }[] = [
  {
    heading: '一、签约管理',
    paragraphs: [
      '在“签约管理”中按状态（绿：有效；黄：待续约；红：已过期）、重点人群标签和区筛选签约居民；点击居民查看签约详情和变更记录。',
      '新签约：选择社区卫生服务中心、家庭医生团队和医生、区级医院、市级医院（“1+1+1”组合）。办理更换医生或解约前，须向居民告知变更签约年时限和剩余次数。',
      '续约：黄色居民可续约；满足弹性续约条件（连续签约满 2 年、近一年就诊 ≥ 2 次并上传健康评估报告，或 65 岁及以上并上传体检报告）可选择 2 年或 3 年。',
    ],
  },
  {
    heading: '二、健康评估服务',
    paragraphs: [
      '社区卫生服务中心使用平台发放的 FTP 账号批量上传经医生审核签名的报告，文件命名：<身份证号>_<报告类型 HA/PE>_<报告日期 YYYYMMDD>_<签名医生编号>.pdf。',
      '也可在“健康评估服务”页面单份上传：选择签名医生并确认已审核签名。“上传记录”显示每个文件的结果和未通过原因。',
    ],
  },
  {
    heading: '三、住院提醒与老年人健康服务',
    paragraphs: [
      '签约居民入院、出院时，家庭医生收到提醒（右上角通知和“住院提醒”列表），可查看住院报告并登记处理情况。',
      '老年人体检预约：65 岁及以上居民，未签约的先引导签约；黄色居民可先续约，或预约后提示续约；红色居民须重新签约。上门访视按形式登记：医养结合、诊间、随访、家庭病床、委托长护险护理员与评估员、其他。',
    ],
  },
  {
    heading: '四、人员与团队',
    paragraphs: [
      '家庭医生由家庭医生质控平台自动同步：新增医生自动建立医务人员档案和账号（首次登录须修改密码并绑定动态口令），变更的医生自动更新。',
      `家医助理：${ASSISTANT_RANGE}`,
      '团队维护：设置团队长、成员和管辖居委；个人信息中上传签名图片，用于签约协议书；社区信息中上传公章图片。',
    ],
  },
  {
    heading: '五、居民端与随申办',
    paragraphs: [
      '居民在手机打开“我的家庭医生”页面，输入身份证号和姓名，凭登记手机收到的短信验证码登录，查看签约医生和三家机构；未签约或签约已过期（红色）的显示签约入口。',
    ],
  },
];

export const manualRoute = defineRoute({
  method: 'GET',
  url: '/fd-people/manual.pdf',
  summary: '下载家庭医生签约平台操作手册（PDF）',
  auth: 'staff',
  permission: 'fd-people.read',
  response: { 200: FileResponse },
  handler: async () => {
    const pdf = await renderPdf({
      title: '家庭医生签约平台操作手册',
      subtitle: '上海市卫生健康委员会',
      blocks: MANUAL.flatMap((s) => [{ kind: 'heading' as const, text: s.heading }, ...s.paragraphs.map((text) => ({ kind: 'paragraph' as const, text }))]),
      footer: 'weijian 卫健',
    });
    return fileResult('application/pdf', '家庭医生签约平台操作手册.pdf', pdf);
  },
});
